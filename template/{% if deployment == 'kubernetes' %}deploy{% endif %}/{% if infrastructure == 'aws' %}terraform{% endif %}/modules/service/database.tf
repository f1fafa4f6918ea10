locals {
  database_name     = replace(var.name, "-", "_")
  database_username = "app"
  database_logs     = ["postgresql", "upgrade"]
}

resource "aws_db_subnet_group" "this" {
  name        = local.identifier
  description = "Private subnets of ${local.identifier}'s database"
  subnet_ids  = var.subnet_ids
}

resource "aws_security_group" "database" {
  name        = "${local.identifier}-database"
  description = "PostgreSQL of ${local.identifier}: reached from the cluster only"
  vpc_id      = var.vpc_id
}

resource "aws_vpc_security_group_ingress_rule" "database_from_cluster" {
  security_group_id            = aws_security_group.database.id
  description                  = "PostgreSQL from the cluster's nodes and pods"
  referenced_security_group_id = var.cluster_security_group_id
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
}

resource "aws_db_parameter_group" "this" {
  name        = local.identifier
  family      = "postgres${var.database_engine_version}"
  description = "${local.identifier}: TLS only, slow statements, schema changes and connections logged"

  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }

  parameter {
    name  = "log_statement"
    value = "ddl"
  }

  parameter {
    name  = "log_min_duration_statement"
    value = "1000"
  }

  parameter {
    name  = "log_connections"
    value = "1"
  }

  parameter {
    name  = "log_disconnections"
    value = "1"
  }

  parameter {
    name  = "log_lock_waits"
    value = "1"
  }

  lifecycle {
    create_before_destroy = true
  }
}

# Created before the instance so that its logs are encrypted and expire; RDS would make them without either.
resource "aws_cloudwatch_log_group" "database" {
  for_each          = toset(local.database_logs)
  name              = "/aws/rds/instance/${local.identifier}/${each.key}"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.this.arn
}

data "aws_iam_policy_document" "monitoring_trust" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["monitoring.rds.amazonaws.com"]
    }
  }
}

# Enhanced Monitoring publishes the instance's OS metrics with this role.
resource "aws_iam_role" "monitoring" {
  name               = "${local.identifier}-rds-monitoring"
  assume_role_policy = data.aws_iam_policy_document.monitoring_trust.json
}

resource "aws_iam_role_policy_attachment" "monitoring" {
  role       = aws_iam_role.monitoring.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"
}

# Never stored: the password reaches RDS and the DATABASE_URL secret as write-only arguments only.
ephemeral "aws_secretsmanager_random_password" "database" {
  password_length     = 40
  exclude_punctuation = true
}

resource "aws_db_instance" "this" {
  #checkov:skip=CKV_AWS_157: Multi-AZ is the root's choice: production sets multi_az = true, staging saves the standby's cost
  #checkov:skip=CKV_AWS_293: deletion protection is the root's choice: production sets it, staging can be torn down and rebuilt
  identifier     = local.identifier
  engine         = "postgres"
  engine_version = var.database_engine_version
  instance_class = var.database_instance_class

  db_name             = local.database_name
  username            = local.database_username
  password_wo         = ephemeral.aws_secretsmanager_random_password.database.random_password
  password_wo_version = var.database_password_version

  allocated_storage     = var.database_allocated_storage
  max_allocated_storage = var.database_max_allocated_storage
  storage_type          = "gp3"
  storage_encrypted     = true
  kms_key_id            = aws_kms_key.this.arn

  db_subnet_group_name   = aws_db_subnet_group.this.name
  vpc_security_group_ids = [aws_security_group.database.id]
  publicly_accessible    = false
  parameter_group_name   = aws_db_parameter_group.this.name

  multi_az                  = var.multi_az
  deletion_protection       = var.deletion_protection
  backup_retention_period   = var.backup_retention_days
  copy_tags_to_snapshot     = true
  skip_final_snapshot       = false
  final_snapshot_identifier = "${local.identifier}-final"
  delete_automated_backups  = false

  auto_minor_version_upgrade          = true
  iam_database_authentication_enabled = true
  enabled_cloudwatch_logs_exports     = local.database_logs

  performance_insights_enabled          = true
  performance_insights_kms_key_id       = aws_kms_key.this.arn
  performance_insights_retention_period = 7
  monitoring_interval                   = 60
  monitoring_role_arn                   = aws_iam_role.monitoring.arn

  depends_on = [aws_cloudwatch_log_group.database, aws_iam_role_policy_attachment.monitoring]
}
