variable "name" {
  description = "The service's name (its slug): the prefix of every resource name."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9]*(-[a-z0-9]+)*$", var.name)) && length(var.name) <= 40
    error_message = "name must be kebab-case, at most 40 characters (got \"${var.name}\")."
  }
}

variable "environment" {
  description = "The environment these resources serve: staging or production."
  type        = string

  validation {
    condition     = contains(["staging", "production"], var.environment)
    error_message = "environment must be staging or production (got \"${var.environment}\")."
  }
}

variable "namespace" {
  description = "The Kubernetes namespace the service runs in (its overlay's namespace)."
  type        = string
}

variable "service_account" {
  description = "The Kubernetes ServiceAccount allowed to assume the service's IAM role."
  type        = string
}

variable "oidc_provider_arn" {
  description = "The ARN of the EKS cluster's IAM OIDC provider (arn:aws:iam::<account>:oidc-provider/oidc.eks.<region>.amazonaws.com/id/<id>)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:oidc-provider/[^/].*$", var.oidc_provider_arn))
    error_message = "oidc_provider_arn must be an IAM OIDC provider ARN (got \"${var.oidc_provider_arn}\")."
  }
}

variable "vpc_id" {
  description = "The VPC of the cluster and the database."
  type        = string

  validation {
    condition     = startswith(var.vpc_id, "vpc-")
    error_message = "vpc_id must be a VPC id like vpc-0123456789abcdef0 (got \"${var.vpc_id}\")."
  }
}

variable "subnet_ids" {
  description = "Private subnets of the VPC, in at least two availability zones, for the database."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 2 && alltrue([for id in var.subnet_ids : startswith(id, "subnet-")])
    error_message = "subnet_ids must list at least two subnet ids (subnet-...) in different availability zones."
  }
}

variable "cluster_security_group_id" {
  description = "The security group of the cluster's nodes or pods: the only source the database admits."
  type        = string

  validation {
    condition     = startswith(var.cluster_security_group_id, "sg-")
    error_message = "cluster_security_group_id must be a security group id like sg-0123456789abcdef0 (got \"${var.cluster_security_group_id}\")."
  }
}

variable "database_instance_class" {
  description = "The RDS instance class, e.g. db.t4g.micro."
  type        = string

  validation {
    condition     = startswith(var.database_instance_class, "db.")
    error_message = "database_instance_class must be an RDS instance class like db.t4g.micro (got \"${var.database_instance_class}\")."
  }
}

variable "database_engine_version" {
  description = "The PostgreSQL major version (the parameter group family follows it)."
  type        = string
  default     = "17"

  validation {
    condition     = can(regex("^1[4-9]$", var.database_engine_version))
    error_message = "database_engine_version must be a PostgreSQL major version from 14 (got \"${var.database_engine_version}\")."
  }
}

variable "database_allocated_storage" {
  description = "Initial storage in GiB."
  type        = number
  default     = 20

  validation {
    condition     = var.database_allocated_storage >= 20
    error_message = "database_allocated_storage must be at least 20 GiB (got ${var.database_allocated_storage})."
  }
}

variable "database_max_allocated_storage" {
  description = "Storage autoscaling ceiling in GiB."
  type        = number
  default     = 100

  validation {
    condition     = var.database_max_allocated_storage >= var.database_allocated_storage
    error_message = "database_max_allocated_storage must be at least database_allocated_storage."
  }
}

variable "database_password_version" {
  description = "Raise by one to give the database a new random password and rewrite the DATABASE_URL secret with it."
  type        = number
  default     = 1

  validation {
    condition     = var.database_password_version >= 1 && floor(var.database_password_version) == var.database_password_version
    error_message = "database_password_version must be a whole number from 1 (got ${var.database_password_version})."
  }
}

variable "multi_az" {
  description = "Run a standby in a second availability zone."
  type        = bool
}

variable "deletion_protection" {
  description = "Refuse to delete the database, and keep a deleted secret recoverable for 30 days."
  type        = bool
}

variable "backup_retention_days" {
  description = "Days of automated database backups (point-in-time recovery)."
  type        = number

  validation {
    condition     = var.backup_retention_days >= 1 && var.backup_retention_days <= 35
    error_message = "backup_retention_days must be between 1 and 35 (got ${var.backup_retention_days})."
  }
}

variable "log_retention_days" {
  description = "Days the database's CloudWatch log groups keep their events."
  type        = number
  default     = 365
}

variable "image_count" {
  description = "Images the ECR repository keeps; older ones expire."
  type        = number
  default     = 100
}
